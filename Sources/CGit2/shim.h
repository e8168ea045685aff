// Swift cannot call C variadic functions; these inline wrappers expose the few
// git_libgit2_opts() settings Capstan uses.
#ifndef CAPSTAN_CGIT2_SHIM_H
#define CAPSTAN_CGIT2_SHIM_H
#include <git2.h>

static inline int cgit2_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
static inline int cgit2_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int cgit2_set_cache_max_size(long bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}
static inline int cgit2_enable_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}
/// Points one configuration level (GIT_CONFIG_LEVEL_SYSTEM, _XDG, _GLOBAL, _PROGRAMDATA) at `path`;
/// an empty string means "read no file at this level".
static inline int cgit2_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, (git_config_level_t)level, path);
}
static inline int cgit2_set_user_agent(const char *agent) {
    return git_libgit2_opts(GIT_OPT_SET_USER_AGENT, agent);
}

#ifdef __linux__
#include <sys/prctl.h>
#include <signal.h>
#include <fcntl.h>
int pipe2(int pipefd[2], int flags);  /* declared by <unistd.h> only under _GNU_SOURCE */
/// A pipe whose both ends are close-on-exec from the start (no window for a concurrent spawn to inherit it).
static inline int cgit2_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
/// Asks the kernel to send `sig` to this process when the thread that spawned it exits, so a git worker never
/// outlives the daemon that supervises it. (prctl is variadic, hence the wrapper.)
static inline int cgit2_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig);
}
#include <spawn.h>
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);  /* glibc >= 2.34, _GNU_SOURCE */
/// Makes a spawned git worker close every inherited descriptor from `from` on: a long-lived worker must not keep
/// the daemon's sockets (listeners, accepted connections) open behind a parent that closed them.
static inline int cgit2_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
#else
#include <unistd.h>
static inline int cgit2_set_parent_death_signal(int sig) { (void)sig; return 0; }
static inline int cgit2_pipe_cloexec(int fds[2]) { return pipe(fds); }
#include <spawn.h>
static inline int cgit2_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) { (void)actions; (void)from; return 0; }
#endif
#endif
