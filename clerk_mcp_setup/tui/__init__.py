"""The Textual wizard and manager: a thin shell over the installer, the verifier and the manifest.

Only this package imports Textual; `cli.py` imports `tui.app` lazily so the non-interactive paths stay fast.
"""
