#ifndef CTNN_SYM_HPP
#define CTNN_SYM_HPP

/// \file
/// Symbolic scalar expressions: build them from `x`, `y`, `t`, numbers,
/// `+ - * /`, `pow<N>`, `exp`, `expm1`, `log`, `log1p`, `tanh`, `sqrt`,
/// `sigmoid`, `softplus`, `max`, `min` and `select`; differentiate them with
/// `d()`; evaluate them with `e(0.5)` or `evaluate(e, bindings<T>{...})`.

#include <ctnn/sym/construct.hpp>
#include <ctnn/sym/derivative.hpp>
#include <ctnn/sym/equal.hpp>
#include <ctnn/sym/node.hpp>
#include <ctnn/sym/ops.hpp>
#include <ctnn/sym/substitute.hpp>

#endif
