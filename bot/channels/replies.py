"""Fixed replies every channel gives the same way (no Rasa import: the tests read them too)."""

APOLOGY = "抱歉，系统暂时无法完成处理，请稍后再试。如急需办理，请联系当地市场监督管理局知识产权科。"
