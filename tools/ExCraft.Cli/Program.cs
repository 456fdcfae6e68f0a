return await ExCraft.Cli.Cli.RunAsync(args, Console.Out, Console.Error);
