// A network of a custom activation cannot be written as a header or as ONNX, nor read from
// ONNX: its expression has no name there. Describing it (what write_header, save_onnx and
// load_onnx do first) says so.
// expect: only networks of built-in activations can be written to or read from a file
#include <ctnn/ctnn.hpp>
#include <ctnn/io/network_description.hpp>

#ifdef CTNN_KO
inline constexpr auto square = ctnn::sym::x * ctnn::sym::x;
using act = ctnn::activation<square>;
#else
using act = ctnn::tanh;
#endif

using net_t = ctnn::network<float, ctnn::input<2>, ctnn::dense<3, act>, ctnn::dense<1, ctnn::identity>>;
auto const description = ctnn::io::describe_type<net_t>();
