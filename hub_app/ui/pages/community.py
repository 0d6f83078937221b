"""Community: questions and answers among partners and Quillstack staff, searched in English and Chinese;
a question opened by URL (?question=) that is hidden, or unknown, is refused in the domain."""

import streamlit as st

from hub_app.community import questions
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import questions as parts
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
store = context.store()
picked = str(st.query_params.get(parts.PICKED, ""))
if picked:
    try:
        question = questions.open_question(user, store, picked)
    except HubError as e:
        st.title(t("Community", lang))
        shown_error(e, lang)
        st.stop()
    parts.question_view(user, question, lang)
    st.stop()
st.title(t("Community", lang))
st.caption(t("Ask other partners and Quillstack staff; answers that help earn points.", lang))
with st.expander(t("Ask a question", lang), icon=":material/help:"):
    parts.ask_form(user, lang)
parts.question_list(user, lang)
