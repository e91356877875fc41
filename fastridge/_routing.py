"""scikit-learn's metadata routing, without importing scikit-learn.

With ``sklearn.set_config(enable_metadata_routing=True)``, scikit-learn's meta-estimators and
tools (``cross_validate(..., params=...)``, ``GridSearchCV``, ``Pipeline``) pass metadata such as
``sample_weight`` to an estimator's ``fit`` and ``score`` only when the estimator requests it
(``est.set_fit_request(sample_weight=True)``), and learn what it requests from
``est.get_metadata_routing()``.  This module implements that protocol for fastridge's
estimators:

- ``set_{method}_request(**requests)`` records the requests in ``self._metadata_request`` (a
  small dict; scikit-learn's ``clone`` carries that attribute over through its
  ``__sklearn_clone__``), and works only while routing is enabled, as in scikit-learn.  No
  scikit-learn import: routing can only be enabled by a loaded scikit-learn.
- ``get_metadata_routing()`` builds scikit-learn's ``MetadataRequest`` from those requests.  It
  imports scikit-learn, and only scikit-learn calls it.

Each request is what scikit-learn allows: True (pass it), False (do not), None (error if
given; the default) or a str alias.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sklearn.utils.metadata_routing import MetadataRequest

_Self = TypeVar("_Self", bound="RoutingMixin")

__all__ = ["UNCHANGED", "RoutingMixin", "routing_enabled"]

#: scikit-learn's sentinel for "leave this request as it is" (the default of set_*_request).
UNCHANGED = "$UNCHANGED$"


def routing_enabled() -> bool:
    """Whether scikit-learn is loaded and its metadata routing is enabled."""
    sklearn = sys.modules.get("sklearn")
    get_config = getattr(sklearn, "get_config", None)
    if get_config is None:
        return False
    return bool(get_config().get("enable_metadata_routing", False))


class _Requests(dict):
    """{method: {metadata name: request}}, cloned by scikit-learn's ``clone`` as a copy."""

    def __sklearn_clone__(self):
        return _Requests({method: dict(req) for method, req in self.items()})


def _check_request(name, value):
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str) and value.isidentifier():
        return True if value == name else value
    raise ValueError(f"The alias you're setting for `{name}` should be either a valid "
                     f"identifier or one of {{None, True, False}}, but given value is: "
                     f"`{value}`")


class RoutingMixin:
    """``set_fit_request``, ``set_score_request`` and ``get_metadata_routing`` for an
    estimator whose ``fit`` and ``score`` take ``sample_weight``."""

    #: method → the metadata it consumes (requests default to None: error if passed)
    _ROUTED_METADATA = {"fit": ("sample_weight",), "score": ("sample_weight",)}

    def _set_request(self, method, requests):
        if not routing_enabled():
            raise RuntimeError(
                "This method is only available when metadata routing is enabled. You can "
                "enable it using sklearn.set_config(enable_metadata_routing=True).")
        known = self._ROUTED_METADATA[method]
        store = self.__dict__.get("_metadata_request")
        if not isinstance(store, _Requests):
            store = _Requests()
        store = _Requests({m: dict(r) for m, r in store.items()})
        for name, value in requests.items():
            if name not in known:
                raise TypeError(f"Unexpected args: {{'{name}'}} in set_{method}_request; "
                                f"{type(self).__name__}.{method} accepts {list(known)}.")
            if isinstance(value, str) and value == UNCHANGED:
                continue
            store.setdefault(method, {})[name] = _check_request(name, value)
        self._metadata_request = store
        return self

    def set_fit_request(self: _Self, *, sample_weight: Any = UNCHANGED) -> _Self:
        """Request metadata for ``fit`` (scikit-learn's metadata routing).

        Only available when routing is enabled
        (``sklearn.set_config(enable_metadata_routing=True)``).

        Parameters
        ----------
        sample_weight : bool, None or str, default="$UNCHANGED$"
            True: pass ``sample_weight`` to ``fit``; False: do not; None: raise if given; a
            str: the name under which it is given to the meta-estimator.  The default leaves
            the request as it is.

        Returns
        -------
        estimator
            ``self``.

        See Also
        --------
        set_score_request : The same for ``score``.

        Examples
        --------
        >>> import sklearn
        >>> from fastridge import Ridge
        >>> with sklearn.config_context(enable_metadata_routing=True):
        ...     est = Ridge().set_fit_request(sample_weight=True)
        >>> est._metadata_request["fit"]
        {'sample_weight': True}
        """
        return self._set_request("fit", {"sample_weight": sample_weight})

    def set_score_request(self: _Self, *, sample_weight: Any = UNCHANGED) -> _Self:
        """Request metadata for ``score``, as :meth:`set_fit_request` does for ``fit``.

        Parameters
        ----------
        sample_weight : bool, None or str, default="$UNCHANGED$"
            As in :meth:`set_fit_request`; a str names the metadata the meta-estimator
            receives (an alias).

        Returns
        -------
        estimator
            ``self`` (routing must be enabled, else RuntimeError).

        See Also
        --------
        get_metadata_routing : What scikit-learn reads back.

        Examples
        --------
        >>> import sklearn
        >>> from fastridge import Ridge
        >>> with sklearn.config_context(enable_metadata_routing=True):
        ...     routing = Ridge().set_score_request(sample_weight="w").get_metadata_routing()
        >>> routing.score.requests
        {'sample_weight': 'w'}
        """
        return self._set_request("score", {"sample_weight": sample_weight})

    def _metadata_request_object(self):
        """scikit-learn's ``MetadataRequest`` of this estimator (imports scikit-learn)."""
        from sklearn.utils.metadata_routing import MetadataRequest

        out = MetadataRequest(owner=self)
        stored = self.__dict__.get("_metadata_request") or {}
        for method, names in self._ROUTED_METADATA.items():
            requests = getattr(out, method)
            for name in names:
                requests.add_request(param=name, alias=stored.get(method, {}).get(name))
        return out

    def get_metadata_routing(self) -> MetadataRequest:
        """Get scikit-learn's metadata routing of this estimator (needs scikit-learn).

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRequest
            What ``fit`` and ``score`` request, as set by :meth:`set_fit_request` and
            :meth:`set_score_request` (by default: ``sample_weight`` raises if routed).

        See Also
        --------
        set_fit_request : Set what is returned here.

        Examples
        --------
        By default a routed ``sample_weight`` is an error until requested:

        >>> import sklearn  # what calls this method; it is needed here
        >>> from fastridge import Ridge
        >>> Ridge().get_metadata_routing().fit.requests
        {'sample_weight': None}
        """
        return self._metadata_request_object()
