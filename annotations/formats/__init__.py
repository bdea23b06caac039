"""Export and import formats for argument maps: one module per format, listed in ``registry``."""
from annotations.formats.base import FormatError, MapFormat
from annotations.formats.registry import FORMATS, export_formats, get_format, import_formats

__all__ = ["FORMATS", "FormatError", "MapFormat", "export_formats", "get_format", "import_formats"]
