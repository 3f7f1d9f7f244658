// The header the installed ctnn-import wrote from onnx_main.cpp's model: it compiles (its
// golden check passes) and its network runs.
#include "consumer_model.hpp"

static_assert(consumer_model_type::inputs == 2 && consumer_model_type::outputs == 1);

int main()
{
    float const y = consumer_model({0.5f, -0.25f})[0];
    return y > 0.0f && y < 1.0f ? 0 : 1;
}
