/**
 * The HTTP transport, kept thin as in Netty's examples: {@link org.opensts.server.StsServer} binds,
 * {@link org.opensts.server.StsChannelInitializer} builds the pipeline, and
 * {@link org.opensts.server.QueryProtocolHandler} decodes an AWS Query request, hands it to the dispatcher on the
 * operations executor (the event loop never blocks), and writes the XML answer. {@code /healthz} and {@code /metrics}
 * sit beside it.
 */
package org.opensts.server;
