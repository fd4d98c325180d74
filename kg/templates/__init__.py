"""Page templates (Jinja) for the HTML views."""
