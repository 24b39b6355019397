"""The unattended kiosk tour: the scene file, its validation and the presenter settings."""
