"""Plan, apply and record: the installer side that writes clients' config files (see installer.py)."""
