return await ExCraft.Node.NodeRunner.RunAsync(args);
