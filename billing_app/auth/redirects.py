def safe_local_path(path: str | None, default: str = "/") -> str:
    """`path` if it stays on this site (no scheme, no //host), else `default`."""
    if not path or not path.startswith("/") or path.startswith("//") or path.startswith("/\\"):
        return default
    return path
