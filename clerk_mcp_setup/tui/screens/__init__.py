"""One module per screen of the wizard and the manager."""
