// The C++ blocks of docs/firmware.md (each between two `//! [name]` lines), built and run by
// the tests; tools/check_snippets.py checks that the page shows them as they are here.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/model_file.hpp>

#include "expect.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace {

using net_t = ctnn::network<float, ctnn::input<1>, ctnn::dense<16, ctnn::relu>, ctnn::dense<16, ctnn::relu>,
                            ctnn::dense<1, ctnn::identity>>;

bool copy_through_bytes(net_t const& net, net_t& copy)
{
    //! [serialize]
    auto const bytes = ctnn::serialize(net);   // std::array<std::byte, ctnn::serialized_size_v<net_t>>
    if (ctnn::load_error const e = ctnn::deserialize(copy, bytes); e != ctnn::load_error::ok) {
        return false;   // ctnn::to_string(e) says why; copy is unchanged
    }
    //! [serialize]
    return true;
}

bool load_model(net_t& net)
{
    //! [load]
    if (auto const r = ctnn::io::load(net, "model.ctnn"); !r) {
        std::fprintf(stderr, "%s\n", r.message.c_str());   // the file and the problem
        return false;                                         // net is unchanged
    }
    //! [load]
    return true;
}

} // namespace

int main()
{
    net_t net{};
    ctnn::init::he_uniform(net, 7u);

    net_t copy{};
    expect(copy_through_bytes(net, copy) && copy == net, "serialize, then deserialize");
    auto bytes = ctnn::serialize(net);
    bytes[20] ^= std::byte{1};
    expect(ctnn::deserialize(copy, bytes) == ctnn::load_error::bad_checksum, "a changed byte is found");

    std::error_code ignored;
    std::filesystem::remove("model.ctnn", ignored);
    net_t loaded{};
    expect(!load_model(loaded) && loaded == net_t{}, "no file: an error, the network unchanged");
    expect(static_cast<bool>(ctnn::io::save(net, "model.ctnn")), "save");
    expect(load_model(loaded) && loaded == net, "load what was saved");
}
