// The C++ blocks of docs/import.md: reading tiny.onnx with load_onnx and writing it back with
// save_onnx (between the two `//! [load-save]` lines), and tiny_model.hpp, the header
// ctnn-import writes for it (its golden check runs in the compiler). Built and run by the tests
// with the working directory holding a copy of tiny.onnx; tools/check_snippets.py checks that
// the page shows them as they are here.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/onnx.hpp>

#include "expect.hpp"
#include "tiny_model.hpp"

#include <cstdio>
#include <string>

int main()
{
    //! [load-save]
    using tiny_net = ctnn::network<float, ctnn::input<1>, ctnn::dense<3, ctnn::tanh>, ctnn::dense<1, ctnn::identity>>;
    tiny_net net{};
    if (auto const r = ctnn::io::load_onnx(net, "tiny.onnx"); !r) {
        std::fprintf(stderr, "%s\n", r.message.c_str());   // the file and the first difference
        return 1;                                             // net is unchanged
    }
    std::printf("f(0.5) = %f\n", double(net({0.5f})[0]));
    if (auto const r = ctnn::io::save_onnx(net, "copy.onnx"); !r) {
        std::fprintf(stderr, "%s\n", r.message.c_str());
        return 1;
    }
    //! [load-save]

    expect(net == tiny_model, "load_onnx reads what ctnn-import wrote into tiny_model.hpp");
    tiny_net copy{};
    expect(static_cast<bool>(ctnn::io::load_onnx(copy, "copy.onnx")) && copy == net, "save_onnx, load_onnx");

    using relu_net = ctnn::network<float, ctnn::input<1>, ctnn::dense<3, ctnn::relu>, ctnn::dense<1, ctnn::identity>>;
    relu_net other{};
    auto const r = ctnn::io::load_onnx(other, "tiny.onnx");
    std::printf("into a network of relu: %s\n", r.message.c_str());
    expect(!r && r.error == ctnn::io::file_error::bad_model && r.model == ctnn::load_error::wrong_topology &&
               other == relu_net{},
           "a model of another network is refused, the network unchanged");
}
