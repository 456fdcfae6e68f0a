// Each class starts real nodes (ExCraft, anvil, bcoin): one class at a time on the shared 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
