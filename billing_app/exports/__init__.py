"""Reports and lists as CSV and XLSX files: tables described once, written row by row."""
