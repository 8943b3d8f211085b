package io.sweeplab.worker.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** A class whose deserialization is recorded: what an attacker's gadget would be, harmless. */
public final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;

    static volatile boolean tripped;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        tripped = true;
        in.defaultReadObject();
    }

    static byte[] serialized() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new Tripwire());
        }
        return bytes.toByteArray();
    }
}
