"""The golden regenerate switch must not be left on (it would make golden tests vacuous)."""

from tests.conftest import REGEN_GOLDEN


def test_regenerate_switch_is_off() -> None:
    assert not REGEN_GOLDEN, "NIANBAO_REGEN_GOLDEN=1 is set: unset it after regenerating"
