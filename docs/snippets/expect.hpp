#ifndef CTNN_DOCS_SNIPPETS_EXPECT_HPP
#define CTNN_DOCS_SNIPPETS_EXPECT_HPP

// What the snippet programs check after the code the documentation shows: a failed check is
// printed and ends the program with status 1, which fails its CTest test.

#include <cstdio>
#include <cstdlib>

inline void expect(bool ok, char const* what)
{
    if (!ok) {
        std::fprintf(stderr, "snippet check failed: %s\n", what);
        std::exit(1);
    }
}

#endif
