/* Start-up code for the Cortex-M boards of QEMU (Cortex-M3, M4F, M7, M33, M55), with
 * newlib and semihosting (rdimon). Enables the FPU where the build uses one, sets up .data
 * and .bss, runs the C++ constructors, then exit(main()): QEMU exits with main()'s return
 * value.
 *
 * The ARMv8-M cores (M33, M55) start in Secure state with the SAU disabled, which makes all
 * memory Secure: the program runs there as it would on an ARMv7-M core, with nothing to
 * configure.
 *
 * Every fault ends the run with status 1 (semihosting SYS_EXIT), so a crash
 * fails a test instead of hanging it. Heap allocation is forbidden: the
 * programs are linked with --wrap for newlib's allocator entry points, and the
 * wrappers below end the run with status 97. */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

extern uint32_t __etext_data; /* load address of .data in flash */
extern uint32_t __data_start__;
extern uint32_t __data_end__;
extern uint32_t __bss_start__;
extern uint32_t __bss_end__;
extern uint32_t __StackTop;

extern int main(void);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

void _init(void) {}
void _fini(void) {}

/* SYS_EXIT with a reason other than "application exit": QEMU exits with 1. */
__attribute__((noreturn)) static void semihost_fail(void)
{
    for (;;) {
        __asm volatile("mov r0, #0x18\n\t"
                       "ldr r1, =0x20023\n\t"
                       "bkpt 0xab" ::: "r0", "r1", "memory");
    }
}

__attribute__((noreturn)) void fault_handler(void)
{
    static const char message[] = "FAULT\n";
    (void)write(2, message, sizeof message - 1);
    semihost_fail();
}

/* The allocation guards. */
__attribute__((noreturn)) static void allocation(void)
{
    static const char message[] = "heap allocation at run time\n";
    (void)write(2, message, sizeof message - 1);
    _exit(97);
}
void *__wrap__malloc_r(void *reent, size_t n)
{
    (void)reent;
    (void)n;
    allocation();
}
void *__wrap__calloc_r(void *reent, size_t n, size_t size)
{
    (void)reent;
    (void)n;
    (void)size;
    allocation();
}
void *__wrap__realloc_r(void *reent, void *p, size_t n)
{
    (void)reent;
    (void)p;
    (void)n;
    allocation();
}
void __wrap__free_r(void *reent, void *p)
{
    (void)reent;
    (void)p;
    allocation();
}

__attribute__((noreturn)) void reset_handler(void)
{
#if defined(__ARM_FP)
    /* The FPU first (on the M55 this also enables Helium, MVE): the first floating-point
     * instruction faults without it. A soft-float build (the M3 has no FPU) leaves it alone. */
    volatile uint32_t *const cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20; /* CP10 and CP11: full access */
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif

    uint32_t const *from = &__etext_data;
    for (uint32_t *to = &__data_start__; to < &__data_end__;) {
        *to++ = *from++;
    }
    for (uint32_t *p = &__bss_start__; p < &__bss_end__;) {
        *p++ = 0;
    }
    initialise_monitor_handles();
    __libc_init_array();
    exit(main());
}

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t vector_table[16] = {
    (vector_t)&__StackTop, /* initial stack pointer */
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
    fault_handler, /* SecureFault (ARMv8-M with the Security Extension; reserved before) */
    0, 0, 0,
    fault_handler, /* SVCall */
    fault_handler, /* DebugMonitor */
    0,
    fault_handler, /* PendSV */
    fault_handler, /* SysTick (never enabled as an interrupt) */
};
