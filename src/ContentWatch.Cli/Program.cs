using ContentWatch.Cli;

return await CommandLine.RunAsync(args);
