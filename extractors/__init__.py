"""The extraction pipeline: document bytes in, a validated `schemas.Result` out.

Pure: no queues, databases or network. See `extractors.pipeline` for the stages.
"""

from extractors.errors import NianbaoError
from extractors.options import ExtractOptions
from extractors.pipeline import Source, extract, extract_path

__all__ = ["ExtractOptions", "NianbaoError", "Source", "extract", "extract_path"]
