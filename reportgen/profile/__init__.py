"""Office profiles: a folder of settings and Jinja2 templates in, a validated ``Profile`` out.

``settings`` and ``style`` validate profile.toml; ``templates`` is the sandboxed template search path;
``init`` writes a starting point and ``check`` lints a profile by smoke-building both formats.
"""
