// Command argocd is the part of Argo CD the local cluster runs (scripts/cluster.ts), in one binary:
//
//	argocd application-controller <flags>   Argo CD's argocd-application-controller
//	argocd repo-server <flags>              Argo CD's argocd-repo-server
//	argocd redis --addr 127.0.0.1:PORT      an in-memory Redis (miniredis) for their caches
//	argocd git-http --addr 127.0.0.1:PORT --root DIR
//	                                        git's smart HTTP protocol (git http-backend) for the
//	                                        bare repositories under DIR/<host>/<path>
//
// The two Argo CD commands are those of argo-cd's cmd/main.go (which dispatches on argv[0]); only
// these two are linked in, which keeps the build shorter than Argo CD's all-in-one binary.
//
// Redis: Argo CD keeps its caches in Redis. miniredis (already one of Argo CD's dependencies)
// serves the commands Argo CD uses, but it only expires keys when its clock is moved: without that,
// cached git references would never go stale and new commits would never be seen. The redis
// command moves its clock forward with the wall clock, every 250 ms.
//
// Git: the Applications name their real repository (e.g. https://github.com/example/devfleet.git)
// and the local cluster must serve it from a local repository without changing the committed
// tree. The repo-server reaches a repository in two ways: the git command line (clone, fetch,
// checkout), which follows `url.<local>.insteadOf` in the git config the harness writes, and
// go-git for `ls-remote` (resolving `main` to a commit), which reads no git config. For the
// second, when DEVFLEET_GIT_HTTP_ADDR is set the repo-server's HTTPS connections (Argo CD clones
// http.DefaultTransport for its git HTTP client) go to that address instead, where `git-http`
// answers as the repository's host would, from the same local repository; SSH and git:// URLs
// (git@host:path, ssh://host/path), which go-git reaches through its protocol registry, are
// answered by the same server over HTTP. Nothing else in the repo-server changes; the local
// cluster has no other network traffic.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-git/go-git/v5/plumbing/transport"
	gitclient "github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func init() {
	// As argo-cd's cmd/main.go: klog uses the configured log level and format.
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var command *cobra.Command
	switch os.Args[1] {
	case "application-controller":
		command = appcontroller.NewCommand()
	case "repo-server":
		redirectGitHTTPS(os.Getenv("DEVFLEET_GIT_HTTP_ADDR"))
		command = reposerver.NewCommand()
	case "redis":
		os.Exit(runRedis(os.Args[2:]))
	case "git-http":
		os.Exit(runGitHTTP(os.Args[2:]))
	default:
		usage()
	}
	// argo-cd's cmd/main.go calls grpc.DisableSRVLookups() here: its binary links grpclb, whose
	// init turns gRPC's DNS SRV lookups on. This one does not link it, so they stay off (the call
	// would panic on finding them off already).
	command.SetArgs(os.Args[2:])
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: argocd application-controller|repo-server|redis|git-http [flags]")
	os.Exit(2)
}

func runRedis(args []string) int {
	flags := flag.NewFlagSet("redis", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:6379", "address to listen on")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	server := miniredis.NewMiniRedis()
	if err := server.StartAddr(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "redis:", err)
		return 1
	}
	defer server.Close()
	fmt.Fprintln(os.Stderr, "redis: listening on", server.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case now := <-tick.C:
			server.FastForward(now.Sub(last))
			last = now
		case <-stop:
			return 0
		}
	}
}

// redirectGitHTTPS sends every HTTPS connection made through a clone of http.DefaultTransport to
// addr, unencrypted (DialTLSContext returns the connection the transport then speaks HTTP on).
func redirectGitHTTPS(addr string) {
	if addr == "" {
		return
	}
	defaultTransport := http.DefaultTransport.(*http.Transport)
	defaultTransport.DialTLSContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, "tcp", addr)
	}
	local := &localGit{addr: addr, http: githttp.NewClient(&http.Client{Timeout: 60 * time.Second})}
	gitclient.InstallProtocol("ssh", local)
	gitclient.InstallProtocol("git", local)
}

// localGit answers go-git's ssh:// and git:// sessions from git-http: host/path of the endpoint
// becomes http://<addr>/<host>/<path>.
type localGit struct {
	addr string
	http transport.Transport
}

func (l *localGit) endpoint(ep *transport.Endpoint) (*transport.Endpoint, error) {
	return transport.NewEndpoint("http://" + l.addr + "/" + ep.Host + "/" + strings.TrimPrefix(ep.Path, "/"))
}

func (l *localGit) NewUploadPackSession(ep *transport.Endpoint, _ transport.AuthMethod) (transport.UploadPackSession, error) {
	local, err := l.endpoint(ep)
	if err != nil {
		return nil, err
	}
	return l.http.NewUploadPackSession(local, nil)
}

func (l *localGit) NewReceivePackSession(ep *transport.Endpoint, _ transport.AuthMethod) (transport.ReceivePackSession, error) {
	local, err := l.endpoint(ep)
	if err != nil {
		return nil, err
	}
	return l.http.NewReceivePackSession(local, nil)
}

// runGitHTTP serves git's smart HTTP protocol with `git http-backend` (CGI) for the bare
// repositories under --root, by host: a request for https://HOST/PATH is answered from
// ROOT/HOST/PATH; one addressed to a loopback address (localGit) names the host in its path.
func runGitHTTP(args []string) int {
	flags := flag.NewFlagSet("git-http", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to listen on")
	root := flags.String("root", "", "folder holding <host>/<path> bare repositories (required)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *root == "" {
		fmt.Fprintln(os.Stderr, "git-http: --root is required")
		return 2
	}
	git, err := exec.LookPath("git")
	if err != nil {
		fmt.Fprintln(os.Stderr, "git-http:", err)
		return 1
	}
	dir, err := filepath.Abs(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "git-http:", err)
		return 1
	}
	backend := &cgi.Handler{
		Path:       git,
		Args:       []string{"http-backend"},
		Env:        []string{"GIT_PROJECT_ROOT=" + dir, "GIT_HTTP_EXPORT_ALL=1"},
		InheritEnv: []string{"PATH", "HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"},
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			r.URL.Path = path.Clean("/" + r.URL.Path)
		} else {
			if host == "" || host == "." || host == ".." || path.Clean("/"+host) != "/"+host {
				http.Error(w, "bad host", http.StatusBadRequest)
				return
			}
			r.URL.Path = "/" + host + path.Clean("/"+r.URL.Path)
		}
		backend.ServeHTTP(w, r)
	})
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "git-http:", err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "git-http: serving", dir, "on", listener.Addr())
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		<-stop
		_ = server.Close()
	}()
	if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "git-http:", err)
		return 1
	}
	return 0
}
