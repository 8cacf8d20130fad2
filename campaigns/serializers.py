"""How campaign materials appear in the API: everything a partner app needs to show them."""

from rest_framework import serializers


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    language = serializers.CharField()
    link = serializers.URLField()
    credit = serializers.CharField()
    licence = serializers.CharField()
    file = serializers.SerializerMethodField()

    def get_file(self, material):
        document = material.file
        if document is None:
            return None
        return {
            "url": document.url,
            "format": document.file_extension.upper(),
            "size": document.file_size,
        }
