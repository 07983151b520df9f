"""HTML pages of the portal: sign-in, registration, home, settings, admin."""
