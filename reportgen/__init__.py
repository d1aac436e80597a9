"""reportgen: 政府信息公开工作年度报告 from a clerk workbook to a checked, correctly formatted DOCX."""

__version__ = "0.1.0"
