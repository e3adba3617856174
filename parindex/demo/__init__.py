"""Demo data of parindex: a believable province built through the real services.

Not a Django app: plain data (``data.py``, the framework files ``*.yaml``) and the builder
(``build.py``) used by ``parindex demo`` (``parindex/common/management/commands/demo.py``).
"""
