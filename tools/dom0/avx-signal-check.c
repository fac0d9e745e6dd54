/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avx-signal-check: does user space keep its AVX state (all 256 bits of
 * ymm0-15) across signals and context switches?  That is the path that
 * needs the hypervisor's XSAVE support to be right: Linux writes the
 * registers into the signal frame with XSAVE and loads them back with
 * XRSTOR on sigreturn, both under the XCR0 the guest set.
 *
 * Two processes (for context switches between them) each run ROUNDS
 * rounds of: load ymm0-15 with a pattern of their own, send themselves
 * SIGUSR1 with a raw syscall (the signal is delivered as the syscall
 * returns; the handler fills every ymm register with ones), store ymm0-15
 * and compare with the pattern.  Load, syscall and store are one asm
 * block so the compiler cannot use the registers in between; the program
 * itself is built without -mavx.
 *
 * Prints one line; exit status 0 when every round kept its registers.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1000
#define NREGS  16
#define YMM_BYTES 32

#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX     (1u << 28)
#define XCR0_SSE_YMM       0x6u

typedef uint8_t ymm_file[NREGS][YMM_BYTES];

static volatile sig_atomic_t signals_handled;

#define ALL_XMM_CLOBBERS \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", \
    "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

/* Whatever the interrupted code had in ymm0-15 must not survive this. */
static void on_sigusr1(int sig)
{
    (void)sig;
    __asm__ __volatile__ (
        "vpcmpeqb %%ymm0, %%ymm0, %%ymm0\n\t"
        "vmovdqa %%ymm0, %%ymm1\n\t"  "vmovdqa %%ymm0, %%ymm2\n\t"
        "vmovdqa %%ymm0, %%ymm3\n\t"  "vmovdqa %%ymm0, %%ymm4\n\t"
        "vmovdqa %%ymm0, %%ymm5\n\t"  "vmovdqa %%ymm0, %%ymm6\n\t"
        "vmovdqa %%ymm0, %%ymm7\n\t"  "vmovdqa %%ymm0, %%ymm8\n\t"
        "vmovdqa %%ymm0, %%ymm9\n\t"  "vmovdqa %%ymm0, %%ymm10\n\t"
        "vmovdqa %%ymm0, %%ymm11\n\t" "vmovdqa %%ymm0, %%ymm12\n\t"
        "vmovdqa %%ymm0, %%ymm13\n\t" "vmovdqa %%ymm0, %%ymm14\n\t"
        "vmovdqa %%ymm0, %%ymm15\n\t"
        ::: ALL_XMM_CLOBBERS );
    signals_handled++;
}

#define LOAD(n)  "vmovdqu " #n "*32(%[in]), %%ymm" #n "\n\t"
#define STORE(n) "vmovdqu %%ymm" #n ", " #n "*32(%[out])\n\t"
#define ALL16(m) m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) \
                 m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

/* Load in, kill(pid, SIGUSR1), store into out. */
static long ymm_round_trip(const ymm_file *in, ymm_file *out, pid_t pid)
{
    long ret;

    __asm__ __volatile__ (
        ALL16(LOAD)
        "syscall\n\t"
        ALL16(STORE)
        "vzeroupper"
        : "=a" (ret)
        : "a" ((long)SYS_kill), "D" ((long)pid), "S" ((long)SIGUSR1),
          [in] "r" (in), [out] "r" (out)
        : "rcx", "r11", "memory", ALL_XMM_CLOBBERS );
    return ret;
}

static void fill_pattern(ymm_file *f, unsigned int proc, unsigned int round)
{
    unsigned int r, b;

    for ( r = 0; r < NREGS; r++ )
        for ( b = 0; b < YMM_BYTES; b++ )
            (*f)[r][b] = (uint8_t)(proc * 131 + round * 7 + r * 32 + b * 3 + 1);
}

static int avx_usable(uint64_t *xcr0)
{
    uint32_t a, b, c, d, lo, hi;

    __asm__ ( "cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d) : "a" (1), "c" (0) );
    if ( !(c & CPUID1_ECX_OSXSAVE) || !(c & CPUID1_ECX_AVX) )
        return 0;
    __asm__ ( "xgetbv" : "=a" (lo), "=d" (hi) : "c" (0) );
    *xcr0 = ((uint64_t)hi << 32) | lo;
    return (*xcr0 & XCR0_SSE_YMM) == XCR0_SSE_YMM;
}

/* ROUNDS round trips; 0, or -1 with what went wrong in why. */
static int run_rounds(unsigned int proc, char *why, size_t len)
{
    ymm_file in, out;
    unsigned int round, r;
    pid_t self = getpid();

    signals_handled = 0;
    for ( round = 0; round < ROUNDS; round++ )
    {
        fill_pattern(&in, proc, round);
        memset(&out, 0, sizeof(out));
        if ( ymm_round_trip((const ymm_file *)&in, &out, self) != 0 )
        {
            snprintf(why, len, "kill failed in round %u", round);
            return -1;
        }
        for ( r = 0; r < NREGS; r++ )
            if ( memcmp(in[r], out[r], YMM_BYTES) )
            {
                snprintf(why, len, "process %u round %u: ymm%u %s half changed",
                         proc, round, r,
                         memcmp(in[r], out[r], 16) ? "low" : "high");
                return -1;
            }
    }
    if ( signals_handled != ROUNDS )
    {
        snprintf(why, len, "process %u: %d of %d signals handled", proc,
                 (int)signals_handled, ROUNDS);
        return -1;
    }
    return 0;
}

int main(void)
{
    struct sigaction sa;
    char why[128] = "";
    uint64_t xcr0 = 0;
    int status = 0, ok;
    pid_t child;

    if ( !avx_usable(&xcr0) )
    {
        printf("no AVX (CPUID AVX/OSXSAVE or XCR0 %#llx)\n", (unsigned long long)xcr0);
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    if ( sigaction(SIGUSR1, &sa, NULL) )
    {
        perror("sigaction");
        return 1;
    }
    fflush(stdout);
    child = fork();
    if ( child < 0 )
    {
        perror("fork");
        return 1;
    }
    if ( child == 0 )
    {
        if ( run_rounds(1, why, sizeof(why)) )
        {
            printf("FAIL: %s\n", why);
            fflush(stdout);
            _exit(1);
        }
        _exit(0);
    }
    ok = run_rounds(0, why, sizeof(why)) == 0;
    if ( waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
         WEXITSTATUS(status) != 0 )
        ok = 0;
    if ( !ok )
    {
        if ( why[0] )
            printf("FAIL: %s\n", why);
        return 1;
    }
    printf("ok: ymm0-15 kept across %d signals in each of 2 processes, XCR0 %#llx\n",
           ROUNDS, (unsigned long long)xcr0);
    return 0;
}
