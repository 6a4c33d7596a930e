"""Use cases: what a user asks of tradecoop, from a resolved request down to the library.

The CLI (:mod:`tradecoop.cli`), the REST API (:mod:`tradecoop.api`) and the web workspace
(:mod:`tradecoop.web`) build one :class:`~tradecoop.services.request.PairRequest` (locations
resolved once, year, store, language, sectors) and call a service here:

* :mod:`.profile` - the bilateral profile (reads the store, then :mod:`tradecoop.indicators`);
* :mod:`.pair_context` and :mod:`.opportunities` - the data of a pair for the opportunity engine
  and the ranked, explained opportunities (:mod:`tradecoop.opportunities` is the pure engine);
* :mod:`.brief` - the briefing pack's model, every section computed once from one
  :class:`~tradecoop.services.request.PairData` (the store opened once, the registry read once).

Dependencies point one way: interfaces -> services -> library packages (``data``,
``indicators``, ``complexity``, ``opportunities``, ``gravity``, ``registry``, ``reports``). No
library package imports a service.
"""
