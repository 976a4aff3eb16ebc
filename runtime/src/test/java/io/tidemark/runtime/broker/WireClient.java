package io.tidemark.runtime.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A bare Kafka-protocol connection for tests: sends one request (or any bytes) and reads one
 * response, so tests can check exact error codes and send what no real client would.
 */
public final class WireClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    /**
     * @param port the server's port on 127.0.0.1.
     */
    public WireClient(final int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * A fetch that parks: from offset 0, waiting as long as the protocol allows for more than
     * there will ever be (min.bytes and max.wait.ms of 2^31-1, max.bytes 50 MiB).
     *
     * @param topic the topic, partition 0.
     * @return the request.
     */
    public static FetchRequestData parkedFetch(final String topic)
    {
        final int fiftyMib = 50 << 20;
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(Integer.MAX_VALUE).setMinBytes(Integer.MAX_VALUE).setMaxBytes(fiftyMib)
            .setSessionId(0).setSessionEpoch(-1)
            .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(fiftyMib)))));
    }

    /**
     * @return a request frame: size, header, body.
     */
    public static byte[] frame(final ApiMessage request, final short version, final int correlationId)
    {
        final RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), version, "wire-test", correlationId);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.data().size(cache, header.headerVersion());
        final int bodySize = request.size(cache, version);
        final ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, header.headerVersion());
        request.write(accessor, cache, version);
        return buffer.array();
    }

    /**
     * Sends a request and reads its response, decoded at the same version.
     *
     * @param request the request body.
     * @param version the API version to write it and read the response at.
     * @return the response body.
     * @throws IOException if the connection fails or the response answers another request.
     */
    public ApiMessage send(final ApiMessage request, final short version) throws IOException
    {
        final int id = ++correlationId;
        out.write(frame(request, version, id));
        out.flush();
        final ApiKeys apiKey = ApiKeys.forId(request.apiKey());
        final ByteBuffer response = readFrame();
        final ResponseHeader header = ResponseHeader.parse(response, apiKey.responseHeaderVersion(version));
        if (header.correlationId() != id)
        {
            throw new IOException("correlation id " + header.correlationId() + ", expected " + id);
        }
        final ApiMessage body = ApiMessageType.fromApiKey(request.apiKey()).newResponse();
        body.read(new ByteBufferAccessor(response), version);
        return body;
    }

    public void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    ByteBuffer readFrame() throws IOException
    {
        final int size = in.readInt();
        final byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * @return true if the server closed the connection (end of stream or reset) before
     *         sending anything, within the socket timeout.
     */
    public boolean closedByServer() throws IOException
    {
        try
        {
            return in.read() == -1;
        }
        catch (final SocketTimeoutException e)
        {
            return false;
        }
        catch (final EOFException | java.net.SocketException e)
        {
            return true;
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
