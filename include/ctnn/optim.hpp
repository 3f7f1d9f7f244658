#ifndef CTNN_OPTIM_HPP
#define CTNN_OPTIM_HPP

/// \file
/// Optimizers, gradient clipping and learning-rate schedules. Every optimizer
/// is an aggregate configured with designated initialisers, with PyTorch's
/// defaults; state lives in `std::array`s sized from the network type. Each
/// defines its update rule once (optim/optimizer.hpp), which `step(net, grad)`
/// applies over a gradient and `ctnn::train_step` inside backpropagation.

#include <ctnn/optim/adam.hpp>
#include <ctnn/optim/clip.hpp>
#include <ctnn/optim/hyperparameter.hpp>
#include <ctnn/optim/optimizer.hpp>
#include <ctnn/optim/rmsprop.hpp>
#include <ctnn/optim/schedule.hpp>
#include <ctnn/optim/sgd.hpp>

#endif
