using ExCraft.Core;

namespace ExCraft.Grpc;

/// <summary>
/// Reads request fields with checks that name the bad field; the problem text is the one
/// JSON-RPC gives for the same input.
/// </summary>
public static class GrpcArguments
{
    public static Address Address(string text, string field) =>
        Core.Address.TryParse(text, out var address, out var error) ? address : throw GrpcStatus.InvalidArgument($"{field}: {error}");

    public static byte[] Hash(Google.Protobuf.ByteString hash, string field) =>
        hash.Length == 32 ? hash.ToByteArray() : throw GrpcStatus.InvalidArgument($"{field}: must be 32 bytes, got {hash.Length}");
}
