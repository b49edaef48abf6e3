"""The what-if page for planners (issue 16), on Solara, Mesa's visualisation stack.

``make app`` serves it (``solara run model.app.page``); in a notebook, ``from model.app import
WhatIf`` and ``WhatIf()`` shows the same page in the output cell. One module per idea:
``form`` (the choices and the scenario file they make), ``run`` (that file through
``model.api.compare`` and the answer), ``charts`` (the figures), ``labels`` (Chinese and
English words), ``page`` (the components).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    # Solara is imported only for the page, not for the form and the run it drives.
    if name == "WhatIf":
        from model.app.page import WhatIf

        return WhatIf
    raise AttributeError(name)
