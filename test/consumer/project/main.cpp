// A program outside the repository that uses ctnn the way a user would.
// lead: switch to the umbrella header <ctnn/ctnn.hpp> once it exists.
#include <ctnn/detail/constant_evaluated.hpp>

static_assert(ctnn::detail::is_constant_evaluated());

int main()
{
    return ctnn::detail::is_constant_evaluated() ? 1 : 0;
}
