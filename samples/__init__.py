"""Sample reports with ground truth (see samples/README.md)."""
