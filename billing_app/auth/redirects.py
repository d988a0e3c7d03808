def safe_local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if (not target or not target.startswith("/") or target.startswith(("//", "/\\"))
            or "\\" in target or any(ord(char) < 0x21 or ord(char) == 0x7F for char in target)):
        return default
    return target
