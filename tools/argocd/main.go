// Command argocd is the part of Argo CD the local cluster runs (scripts/cluster.ts), in one binary:
//
//	argocd application-controller <flags>   Argo CD's argocd-application-controller
//	argocd repo-server <flags>              Argo CD's argocd-repo-server
//	argocd redis --addr 127.0.0.1:PORT      an in-memory Redis (miniredis) for their caches
//
// The two Argo CD commands are those of argo-cd's cmd/main.go (which dispatches on argv[0]); only
// these two are linked in, which keeps the build shorter than Argo CD's all-in-one binary.
//
// Redis: Argo CD keeps its caches in Redis. miniredis (already one of Argo CD's dependencies)
// serves the commands Argo CD uses, but it only expires keys when its clock is moved: without that,
// cached git references would never go stale and new commits would never be seen. The redis
// command moves its clock forward with the wall clock, every 250 ms.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/util/grpc"
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
		command = reposerver.NewCommand()
	case "redis":
		os.Exit(runRedis(os.Args[2:]))
	default:
		usage()
	}
	grpc.DisableSRVLookups()
	command.SetArgs(os.Args[2:])
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: argocd application-controller|repo-server|redis [flags]")
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
