"""Reports: results.json (strict JSON, with a schema), index.html (Jinja2), junit.xml and run history."""
