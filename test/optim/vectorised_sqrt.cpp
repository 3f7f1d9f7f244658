// Compiled (not run) by check_vectorised_sqrt.cmake at several optimisation levels and x86-64
// levels, with the compilers' default floating-point flags (-fmath-errno): the optimizers'
// square roots must be the packed instruction, over vectors of parameters.

#include <ctnn/optim.hpp>
#include <ctnn/train_step.hpp>

using net_t = ctnn::network<float, ctnn::input<64>, ctnn::dense<32, ctnn::relu>, ctnn::dense<10>>;

void adam_step(net_t& net, net_t::gradient_type const& grad, ctnn::optim::adam<net_t>& opt)
{
    opt.step(net, grad);
}

void rmsprop_step(net_t& net, net_t::gradient_type const& grad, ctnn::optim::rmsprop<net_t>& opt)
{
    opt.step(net, grad);
}

float adam_train_step(net_t& net, net_t::input_type const& x, net_t::output_type const& t,
                      ctnn::optim::adam<net_t>& opt)
{
    return ctnn::train_step(net, x, t, ctnn::loss::mse{}, opt);
}
