using ContentWatch.Cli;
using ContentWatch.Cli.Commands;

return await CommandLine.RunAsync(args);
