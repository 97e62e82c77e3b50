#ifndef ASSAY_SPAWN_H
#define ASSAY_SPAWN_H

#include <sys/types.h>

/// Starts `file` (looked up on PATH) with `argv` and `envp` in a new process group, in `cwd`
/// when not NULL. In the child, before exec: the plugin dies with the thread that started it
/// (PR_SET_PDEATHSIG, SIGKILL), every signal has its default disposition and none is blocked,
/// `stdin_fd`/`stdout_fd`/`stderr_fd` become 0/1/2 and every other descriptor is closed.
/// Returns the pid, or -errno when the process could not be started (fork, chdir or exec failed).
pid_t assay_spawn(const char *file, char *const argv[], char *const envp[], const char *cwd,
                  int stdin_fd, int stdout_fd, int stderr_fd);

/// pidfd_open(2): a descriptor (close-on-exec) that polls readable when `pid` exits; -errno on failure.
int assay_pidfd_open(pid_t pid);

/// PR_SET_CHILD_SUBREAPER on the calling process: orphaned descendants are re-parented here, not
/// to init, so a plugin's setsid'd helpers can still be found and killed. 0, or -errno.
int assay_become_subreaper(void);

/// pipe2(2) with O_CLOEXEC (and O_NONBLOCK on both ends when `nonblocking`); 0, or -errno.
int assay_pipe(int fds[2], int nonblocking);

/// The interrupt self-pipe: `assay_interrupt_prepare` creates it (idempotent), `assay_interrupt_fire`
/// (async-signal-safe) makes its read end, `assay_interrupt_fd()`, readable until `assay_interrupt_reset`.
void assay_interrupt_prepare(void);
void assay_interrupt_fire(void);
int assay_interrupt_fd(void);
void assay_interrupt_reset(void);

/// A fixed table of running plugin pids for `assay_kill_plugins` (async-signal-safe: SIGKILL to
/// each one's process group and to itself).
void assay_register_plugin(pid_t pid);
void assay_unregister_plugin(pid_t pid);
void assay_kill_plugins(void);

/// fstatfs(2)'s filesystem type of `fd` (TMPFS_MAGIC for a memfd, HUGETLBFS_MAGIC for a
/// hugetlb one), or -errno: feature shm maps only regions that cannot lose pages under it.
long assay_fstatfs_type(int fd);

#endif
