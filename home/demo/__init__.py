"""Demo content for `manage.py load_demo`: data tables, a local image generator and the builders."""
