package dev.wrenn.connect.codec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.List;

/**
 * Removes JSON members that name no field of the message type, recursively. Lets the strict JsonFormat parser reject
 * bad enum names while still accepting fields it does not know (which its lenient mode would also hide).
 */
final class UnknownFieldPruner {
    private UnknownFieldPruner() {}

    static void prune(JsonObject object, Descriptor type) {
        if (isWellKnown(type)) {
            return; // Any, Struct, Value... have their own JSON shapes; JsonFormat handles them whole.
        }
        for (String name : List.copyOf(object.keySet())) {
            FieldDescriptor field = findField(type, name);
            if (field == null) {
                object.remove(name);
            } else {
                pruneValue(object.get(name), field);
            }
        }
    }

    private static void pruneValue(JsonElement value, FieldDescriptor field) {
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return;
        }
        if (field.isMapField()) {
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            if (value.isJsonObject() && valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                value.getAsJsonObject().asMap().values().forEach(v -> pruneMessage(v, valueField.getMessageType()));
            }
        } else if (field.isRepeated() && value.isJsonArray()) {
            value.getAsJsonArray().forEach(element -> pruneMessage(element, field.getMessageType()));
        } else {
            pruneMessage(value, field.getMessageType());
        }
    }

    private static void pruneMessage(JsonElement value, Descriptor type) {
        if (value.isJsonObject()) {
            prune(value.getAsJsonObject(), type);
        }
    }

    private static FieldDescriptor findField(Descriptor type, String jsonName) {
        FieldDescriptor byProtoName = type.findFieldByName(jsonName);
        if (byProtoName != null) {
            return byProtoName;
        }
        return type.getFields().stream()
                .filter(f -> f.getJsonName().equals(jsonName))
                .findFirst()
                .orElse(null);
    }

    private static boolean isWellKnown(Descriptor type) {
        return type.getFile().getPackage().equals("google.protobuf");
    }
}
