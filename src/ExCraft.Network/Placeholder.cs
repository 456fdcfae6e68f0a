namespace ExCraft.Network; internal static class Placeholder {}
