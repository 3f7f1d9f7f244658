// Compile-fail test: the `ok` build must compile; the `ko` build (CTNN_KO)
// must fail with the message below. split_columns<In, Out> on rows whose
// width is not In + Out.
// expect: the rows must have In \+ Out columns

#include <ctnn/io/csv.hpp>

#include <array>
#include <vector>

namespace {
[[maybe_unused]] auto split(std::vector<std::array<float, 3>> const& rows)
{
#ifndef CTNN_KO
    return ctnn::io::split_columns<2, 1>(rows);
#else
    return ctnn::io::split_columns<2, 2>(rows);
#endif
}
} // namespace
