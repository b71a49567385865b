"""Department packages, submissions and the planning office's merge (PRODUCT.md §4-5; issue 6).

No Qt here: the UI calls these modules and shows what they return.

* :mod:`~seri_desktop.exchange.codec`: canonical JSON of programs and section II, content hashes;
* :mod:`~seri_desktop.exchange.package`: the office issues a department its package;
* :mod:`~seri_desktop.exchange.submission`: the department writes a submission file; reading one safely;
* :mod:`~seri_desktop.exchange.diff`: field-level differences of programs and section II;
* :mod:`~seri_desktop.exchange.merge`: verify, preview and apply submissions;
* :mod:`~seri_desktop.exchange.dashboard`: the office's completeness dashboard;
* :mod:`~seri_desktop.exchange.items`: the reviewable items, their hashes and revision bookkeeping;
* :mod:`~seri_desktop.exchange.errors`: ``ExchangeError`` and friends (all ``StoreError``, with a ``code``).

State, comments, locks and the audit log live in the store
(:mod:`seri_desktop.store.review`, :mod:`seri_desktop.store.audit`,
:mod:`seri_desktop.store.exchange`).
"""
