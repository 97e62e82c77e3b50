// Plugin process creation for the harness. Written in C because the child must call prctl(2)
// and close_range(2) between fork and exec, where only async-signal-safe calls are allowed
// (the Swift runtime may allocate or take locks), and posix_spawn offers neither.
#define _GNU_SOURCE
#include "assay_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/// Closes [low, high]; close_range(2) where the kernel has it, else one close(2) per number.
static void close_span(int low, int high) {
    if (low > high) return;
    if (syscall(SYS_close_range, (unsigned)low, (unsigned)high, 0) == 0) return;
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit < 0 || limit > 65536) limit = 65536;
    for (long fd = low; fd <= high && fd < limit; fd++) close((int)fd);
}

static void report_and_exit(int report_fd, int error) {
    ssize_t ignored = write(report_fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

pid_t assay_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd,
                  int stdin_fd, int stdout_fd, int stderr_fd) {
    int report[2];  // the child writes errno here if it fails before exec; exec closes it
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    sigset_t all, saved;
    sigfillset(&all);
    // No harness signal handler may run in the child between fork and the reset below.
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        close(report[0]);
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);  // the harness died before the prctl took effect
        for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
        int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
        for (int target = 0; target < 3; target++) {
            // dup2 clears close-on-exec on the copy; a source already in 0..2 would be clobbered,
            // which the harness never passes (its own 0..2 are open).
            if (dup2(fds[target], target) < 0) report_and_exit(report[1], errno);
        }
        int keep = report[1];
        close_span(3, keep - 1);
        close_span(keep + 1, INT32_MAX);
        if (cwd != NULL && chdir(cwd) != 0) report_and_exit(keep, errno);
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, NULL);
        execvpe(file, argv, envp);
        report_and_exit(keep, errno);
    }
    int fork_error = child < 0 ? errno : 0;
    if (child > 0) setpgid(child, child);  // also here, so a kill of the group cannot race the child's own call
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    close(report[1]);
    if (child < 0) {
        close(report[0]);
        return -fork_error;
    }
    int child_error = 0;
    ssize_t got;
    do { got = read(report[0], &child_error, sizeof child_error); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof child_error) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return -child_error;
    }
    return child;
}

int assay_pidfd_open(pid_t pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -errno : (int)fd;
}

int assay_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

int assay_pipe(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) == 0 ? 0 : -errno;
}

static atomic_int interrupt_read = -1, interrupt_write = -1;

void assay_interrupt_prepare(void) {
    if (atomic_load(&interrupt_read) >= 0) return;
    int fds[2];
    if (assay_pipe(fds, 1) != 0) return;
    atomic_store(&interrupt_write, fds[1]);
    atomic_store(&interrupt_read, fds[0]);
}

void assay_interrupt_fire(void) {
    int fd = atomic_load(&interrupt_write);
    char byte = 1;
    if (fd >= 0) { ssize_t ignored = write(fd, &byte, 1); (void)ignored; }
}

int assay_interrupt_fd(void) { return atomic_load(&interrupt_read); }

void assay_interrupt_reset(void) {
    int fd = atomic_load(&interrupt_read);
    char scratch[64];
    if (fd >= 0) while (read(fd, scratch, sizeof scratch) > 0) {}
}

#define PLUGIN_SLOTS 64
static atomic_int plugin_pids[PLUGIN_SLOTS];

void assay_register_plugin(pid_t pid) {
    for (int i = 0; i < PLUGIN_SLOTS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&plugin_pids[i], &expected, pid)) return;
    }
}

void assay_unregister_plugin(pid_t pid) {
    for (int i = 0; i < PLUGIN_SLOTS; i++) {
        int expected = pid;
        if (atomic_compare_exchange_strong(&plugin_pids[i], &expected, 0)) return;
    }
}

void assay_kill_plugins(void) {
    for (int i = 0; i < PLUGIN_SLOTS; i++) {
        int pid = atomic_load(&plugin_pids[i]);
        if (pid > 0) { kill(-pid, SIGKILL); kill(pid, SIGKILL); }
    }
}

#include <sys/vfs.h>

long assay_fstatfs_type(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 ? (long)info.f_type : -errno;
}
