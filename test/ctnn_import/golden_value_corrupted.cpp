// A header from ctnn-import whose golden value was changed after it was written (as a model
// imported wrongly would disagree with it) fails to compile, with the check's message and no
// other error. The ok build includes the header as written.
// expect: mix_c_float: output 0 at golden input 0 is not
#ifdef CTNN_KO
#include <corrupted/mix_c_float.hpp>
#else
#include <mix_c_float.hpp>
#endif
