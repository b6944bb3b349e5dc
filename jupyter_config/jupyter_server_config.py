"""Jupyter Server settings of the course (used by `make lab`, Binder and the browser tests).

Saved app outputs whose widgets are gone (the kernel stopped or restarted) open as a short
"run this notebook" note instead of JupyterLab's "Error displaying widget: model not found";
see course_contents.py beside this file.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

c = get_config()  # noqa: F821 (provided by the Jupyter config loader)
c.ServerApp.contents_manager_class = "course_contents.CourseContentsManager"
