"""Demo data of parindex: a believable province built through the real services.

A Django app without models: plain data (``data.py``, the framework files ``*.yaml``), the
builder (``build.py``) and its command ``parindex demo`` (``management/commands/demo.py``).
"""
