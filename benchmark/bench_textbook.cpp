// The textbook baseline (textbook.hpp), checked against ctnn and timed.

#include "textbook.hpp"

namespace bench {

void register_textbook()
{
    for (spec const& s : specs()) {
        problem const& p = get_problem(s.name);
        register_impl<textbook_mlp>("textbook", p, get_reference(s.name),
                                    [&p] { return std::make_unique<textbook_mlp>(p); });
    }
}

} // namespace bench
